import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { hooks } from './api/http';
import { ElMessage } from 'element-plus';
import { t } from './i18n';
import './styles/element';
import './styles/app.css';

hooks.onError = (message) => {
  ElMessage.error(message === 'network' ? t('common.network') : message);
};
hooks.onAuthLost = () => {
  void router.replace('/login');
};

const app = createApp(App);
app.use(createPinia());
app.use(router);
app.mount('#app');
