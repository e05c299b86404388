import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { NetworkError } from '@box-im/im-app-core';
import { http } from './api/http';
import { ElMessage } from 'element-plus';
import { t } from './i18n';
import './styles/element';
import './styles/app.css';

http.events = {
  onError: (e) => ElMessage.error(e instanceof NetworkError ? t('common.network') : e.message),
  onAuthLost: () => void router.replace('/login'),
};

const app = createApp(App);
app.use(createPinia());
app.use(router);
app.mount('#app');
